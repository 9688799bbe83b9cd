using System.Text.RegularExpressions;
using RegistryCredentials.Cli.Cli;

namespace RegistryCredentials.Cli.Output;

/// <summary>A Kubernetes Secret of type <c>kubernetes.io/dockerconfigjson</c>, as YAML or JSON.</summary>
internal static partial class KubernetesSecretWriter
{
    public const string SecretType = "kubernetes.io/dockerconfigjson";
    public const string DataKey = ".dockerconfigjson";

    /// <exception cref="RegcredException">The name or namespace is not a DNS-1123 name.</exception>
    public static string Write(string format, string name, string? ns, byte[] dockerConfigJson)
    {
        CheckNames(name, ns);
        var data = Convert.ToBase64String(dockerConfigJson);
        if (format == OutputFormat.Json)
        {
            return JsonOutput.Write(
                json =>
                {
                    json.WriteStartObject();
                    json.WriteString("apiVersion", "v1");
                    json.WriteString("kind", "Secret");
                    json.WriteStartObject("metadata");
                    json.WriteString("name", name);
                    if (ns is not null)
                    {
                        json.WriteString("namespace", ns);
                    }

                    json.WriteEndObject();
                    json.WriteString("type", SecretType);
                    json.WriteStartObject("data");
                    json.WriteString(DataKey, data);
                    json.WriteEndObject();
                    json.WriteEndObject();
                },
                JsonOutput.Indented) + "\n";
        }

        // Every value is a DNS-1123 name or base64: nothing needs quoting.
        return "apiVersion: v1\n"
            + "kind: Secret\n"
            + "metadata:\n"
            + "  name: " + name + "\n"
            + (ns is null ? string.Empty : "  namespace: " + ns + "\n")
            + "type: " + SecretType + "\n"
            + "data:\n"
            + "  " + DataKey + ": " + data + "\n";
    }

    /// <summary>Checks the Secret's name and namespace (before any work is done).</summary>
    /// <exception cref="RegcredException">One is not a DNS-1123 name.</exception>
    public static void CheckNames(string name, string? ns)
    {
        CheckName(name, "--name", subdomain: true);
        if (ns is not null)
        {
            CheckName(ns, "--namespace", subdomain: false);
        }
    }

    private static void CheckName(string value, string option, bool subdomain)
    {
        var valid = value.Length <= (subdomain ? 253 : 63) && (subdomain ? Subdomain() : Label()).IsMatch(value);
        if (!valid)
        {
            throw new RegcredException(
                $"{option} '{value}' is not a Kubernetes name (lower-case letters, digits and '-'{(subdomain ? ", '.'" : string.Empty)}).");
        }
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Subdomain();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Label();
}
