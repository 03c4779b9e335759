using Microsoft.Extensions.Options;

namespace Zakaz.Configuration;

/// <summary>
/// The options pattern's check of bound options by the rules of <see cref="ConfigurationKeys.All"/>: what a host
/// validates at start (<c>ValidateOnStart</c>), so options changed after loading (a layer the demo adds, say)
/// are held to the same rules and a bad value is one line naming its variable and what it accepts.
/// </summary>
public sealed class ConfigurationKeysValidation<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var scratch = new Dictionary<string, string?>();
        var problems = ConfigurationKeys.All.Select(key => key.Text(options) is { } text && key.Bind(text, scratch) is { } problem
            ? $"{key.EnvironmentVariable}='{key.Mask(text)}' {problem}" : null).OfType<string>().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
