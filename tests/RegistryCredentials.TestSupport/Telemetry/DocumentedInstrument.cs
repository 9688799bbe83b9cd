namespace RegistryCredentials.Tests.Support.Telemetry;

/// <summary>One row of the instrument table of docs/telemetry.md.</summary>
public sealed record DocumentedInstrument(string Meter, string Name, string Kind, string Unit, IReadOnlyList<string> Tags);
