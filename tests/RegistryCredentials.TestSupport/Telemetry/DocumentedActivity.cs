namespace RegistryCredentials.Tests.Support.Telemetry;

/// <summary>One row of the activity table of docs/telemetry.md.</summary>
public sealed record DocumentedActivity(string Source, string Name, string Kind, IReadOnlyList<string> Tags);
