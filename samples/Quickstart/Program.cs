// Quickstart: reference RegistryCredentials, store a few credentials, resolve real-world image references.
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials;

var services = new ServiceCollection();
services.AddRegistryCredentials(o => o.DefaultRegistry = "docker.io")
        .UseInMemoryStore();
await using var provider = services.BuildServiceProvider();
var manager = provider.GetRequiredService<IRegistryManager>();
var resolver = provider.GetRequiredService<IRegistryCredentialResolver>();

// Secrets would come from a vault or the environment; these are throwaway values for the demo.
await manager.AddAsync(new() { Scope = "docker.io", Username = "hub-reader", Password = Guid.NewGuid().ToString(), Validate = false });
await manager.AddAsync(new() { Scope = "docker.io/acme/*", Username = "acme-ci", Password = Guid.NewGuid().ToString(), Validate = false });
await manager.AddAsync(new() { Scope = "quay.io/partner", Username = "partner", Password = Guid.NewGuid().ToString(), Validate = false });
await manager.AddAsync(new() { Scope = "*.example.com", Username = "corp", Password = Guid.NewGuid().ToString(), Validate = false });
await manager.DeactivateAsync("quay.io/partner");
foreach (var image in new[] { "nginx", "acme/app:1.2", "quay.io/partner/tool@sha256:" + new string('0', 64), "reg.example.com/team/app", "ghcr.io/x/y" })
{
    var result = await resolver.ResolveAsync(image);
    Console.WriteLine($"{image,-40} {result.Kind,-10} {result.Message}");
}
