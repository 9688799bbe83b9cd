using Microsoft.Extensions.Options;

namespace RegistryCredentials.Internal;

/// <summary>Validates <see cref="RegistryCredentialsOptions"/>, reporting every error together.</summary>
internal sealed class RegistryCredentialsOptionsValidator : IValidateOptions<RegistryCredentialsOptions>
{
    public ValidateOptionsResult Validate(string? name, RegistryCredentialsOptions options)
    {
        var errors = new List<string>();
        ResolverSettings.Create(options, errors);
        if (options.IndexStalenessBound != Timeout.InfiniteTimeSpan
            && (options.IndexStalenessBound <= TimeSpan.Zero || options.IndexStalenessBound > TimeSpan.FromHours(1)))
        {
            errors.Add($"{nameof(options.IndexStalenessBound)} must be more than zero and at most 1 hour, or infinite, not {options.IndexStalenessBound}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
