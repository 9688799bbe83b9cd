using System.Security.Cryptography;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>A file of the management page, read once from the assembly's embedded resources.</summary>
internal sealed class DashboardAsset
{
    private DashboardAsset(string name, string contentType, byte[] content)
    {
        Name = name;
        ContentType = contentType;
        Content = content;
        ETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12)) + "\"";
    }

    public static DashboardAsset Page { get; } = Load("index.html", "text/html; charset=utf-8");

    public static DashboardAsset Script { get; } = Load("app.js", "text/javascript; charset=utf-8");

    public static DashboardAsset Styles { get; } = Load("app.css", "text/css; charset=utf-8");

    public string Name { get; }

    public string ContentType { get; }

    public byte[] Content { get; }

    public string ETag { get; }

    public string Text => System.Text.Encoding.UTF8.GetString(Content);

    private static DashboardAsset Load(string name, string contentType)
    {
        var resource = "RegistryCredentials.AspNetCore.Dashboard." + name;
        using var stream = typeof(DashboardAsset).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource {resource} is missing from the assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return new DashboardAsset(name, contentType, buffer.ToArray());
    }
}
