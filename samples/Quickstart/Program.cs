// Quickstart: reference RegistryCredentials, store a few credentials in registries.db, resolve real-world image references.
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials;
using RegistryCredentials.Sqlite;

var services = new ServiceCollection();
services.AddRegistryCredentials(o => o.DefaultRegistry = "docker.io")
        .UseSqliteStore("registries.db"); // secrets encrypted with a key kept in ~/.config/registry-credentials/
await using var provider = services.BuildServiceProvider();
var manager = provider.GetRequiredService<IRegistryManager>();
var resolver = provider.GetRequiredService<IRegistryCredentialResolver>();

// Secrets would come from a vault or the environment; these are throwaway values. Replace = true: rerunning is fine.
foreach (var (scope, user) in new[]
    { ("docker.io", "hub-reader"), ("docker.io/acme/*", "acme-ci"), ("quay.io/partner/*", "partner"), ("*.example.com", "corp") })
{
    await manager.AddAsync(new() { Scope = scope, Username = user, Password = Guid.NewGuid().ToString(), Validate = false, Replace = true });
}

await manager.DeactivateAsync("quay.io/partner/*");
foreach (var image in new[] { "nginx", "acme/app:1.2", "quay.io/partner/tool:3", "reg.example.com/team/app", "ghcr.io/x/y" })
{
    var result = await resolver.ResolveAsync(image);
    Console.WriteLine($"{image,-26} {result.Kind,-10} {result.Message}");
}
