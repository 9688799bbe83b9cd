namespace RegistryCredentials.Cli.Commands;

/// <summary>The options of <c>registry add</c> and <c>registry update</c> (anchorectl's, plus <c>--ca-file</c>); null means "not given".</summary>
internal sealed record RegistryArguments
{
    public required string Registry { get; init; }

    public string? Username { get; init; }

    public string? Type { get; init; }

    public string? Name { get; init; }

    public string? Email { get; init; }

    /// <summary><c>--secure-connection</c>: verify TLS certificates.</summary>
    public bool? SecureConnection { get; init; }

    public bool? Validate { get; init; }

    public bool Replace { get; init; }

    public bool PasswordStdin { get; init; }

    /// <summary>A PEM file of CA certificates to trust for this registry (instead of turning verification off).</summary>
    public string? CaFile { get; init; }

    public bool? InsecureHttp { get; init; }

    public string Output { get; init; } = "table";
}
