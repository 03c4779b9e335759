namespace Zakaz.Configuration;

/// <summary>The configuration cannot be used; the message names each bad value and its source, never a secret.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string problem)
        : this([problem])
    {
    }

    public ConfigurationException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }
}
