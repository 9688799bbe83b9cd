namespace RegistryCredentials.Cli.Output;

/// <summary>The values of <c>-o/--output</c>.</summary>
internal static class OutputFormat
{
    public const string Table = "table";
    public const string Json = "json";
    public const string Text = "text";
    public const string Yaml = "yaml";
    public const string Raw = "raw";
    public const string DockerAuth = "docker-auth";
}
