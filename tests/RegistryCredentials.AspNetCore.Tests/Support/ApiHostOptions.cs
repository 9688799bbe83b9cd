using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace RegistryCredentials.AspNetCore.Tests.Support;

/// <summary>How <see cref="ApiHost"/> builds its application.</summary>
public sealed class ApiHostOptions
{
    /// <summary>True: a real Kestrel on 127.0.0.1 and a free port (for the browser); false: the in-memory test server.</summary>
    public bool Kestrel { get; set; }

    /// <summary>The validator; null keeps the real Docker Registry v2 validator.</summary>
    public IRegistryCredentialValidator? Validator { get; set; } = new FakeValidator();

    public Action<RegistryCredentialsApiOptions>? Api { get; set; }

    public Action<RegistryCredentialsOptions>? Core { get; set; }

    public Action<RegistryCredentialsBuilder>? Build { get; set; }

    public Action<IServiceCollection>? Services { get; set; }

    /// <summary>Maps the endpoints; default: API and page, both requiring the <c>registries</c> policy.</summary>
    public Action<WebApplication>? Map { get; set; }
}
