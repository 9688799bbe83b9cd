namespace RegistryCredentials.Cli.Interop;

/// <summary>One line of the import report; it holds no secret.</summary>
/// <param name="Source">Where the credential came from: <c>auths</c>, <c>credHelpers (NAME)</c> or <c>credsStore (NAME)</c>.</param>
/// <param name="Key">The key as written in the config.</param>
/// <param name="Registry">The scope it maps to, when it is a registry address.</param>
/// <param name="Username">The user name, when one was found.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Detail">Why, for people.</param>
internal sealed record ImportResult(string Source, string Key, string? Registry, string? Username, ImportOutcome Outcome, string Detail);
