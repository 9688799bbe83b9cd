using Microsoft.Extensions.Options;

namespace RegistryCredentials.Internal;

/// <summary>Validates <see cref="RegistryCredentialsOptions"/>, reporting every error together.</summary>
internal sealed class RegistryCredentialsOptionsValidator : IValidateOptions<RegistryCredentialsOptions>
{
    public ValidateOptionsResult Validate(string? name, RegistryCredentialsOptions options)
    {
        var errors = new List<string>();
        ResolverSettings.Create(options, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
