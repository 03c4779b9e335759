namespace Zakaz.Configuration;

/// <summary>The configuration cannot be used; the message names each bad value and its source, never a secret.</summary>
public sealed class ConfigurationException(IReadOnlyList<string> problems) : Exception(string.Join(Environment.NewLine, problems))
{
    public ConfigurationException(string problem)
        : this([problem])
    {
    }

    public IReadOnlyList<string> Problems { get; } = problems;
}
