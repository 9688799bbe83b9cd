using Microsoft.Extensions.DependencyInjection;

namespace RegistryCredentials.StoreClient;

/// <summary>
/// The child process of the store-pairing tests: the library over a <see cref="FileRegistryStore"/>, registered with
/// <c>UseStore(...)</c> and no protector chosen, so the library picks one (the key comes from <c>REGCRED_SECRET_KEY</c> or the
/// default key file under <c>$XDG_CONFIG_HOME</c>).
/// <list type="bullet">
/// <item><c>add STORE SCOPE USER [--ephemeral]</c>: adds an entry; the password is read from <c>STORE_CLIENT_PASSWORD</c>.</item>
/// <item><c>resolve STORE IMAGE [--ephemeral]</c>: prints the password of the entry the image resolves to.</item>
/// </list>
/// <c>--ephemeral</c> asks for the per-process protector by name. Exit codes: 0 done, 3 <see cref="RegistrySecretKeyException"/>
/// (its type and message on stderr), 4 no credential, 2 usage, 1 anything else.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var ephemeral = args.Contains("--ephemeral");
        var positional = args.Where(a => a != "--ephemeral").ToArray();
        if (positional.Length < 3)
        {
            await Console.Error.WriteLineAsync("usage: add STORE SCOPE USER | resolve STORE IMAGE  [--ephemeral]");
            return 2;
        }

        using var store = new FileRegistryStore(positional[1]);
        var services = new ServiceCollection();
        var builder = services.AddRegistryCredentials().UseStore(store);
        if (ephemeral)
        {
            builder.UseEphemeralSecretProtection();
        }

        await using var provider = services.BuildServiceProvider();
        try
        {
            switch (positional[0])
            {
                case "add":
                    var password = Environment.GetEnvironmentVariable("STORE_CLIENT_PASSWORD")
                        ?? throw new InvalidOperationException("STORE_CLIENT_PASSWORD is not set.");
                    await provider.GetRequiredService<IRegistryManager>().AddAsync(new RegistryAddRequest
                    {
                        Scope = positional[2],
                        Username = positional.Length > 3 ? positional[3] : "user",
                        Password = password,
                        Validate = false,
                    });
                    Console.WriteLine("added " + positional[2] + " with " + provider.GetRequiredService<ISecretProtector>().GetType().Name);
                    return 0;
                case "resolve":
                    var resolution = await provider.GetRequiredService<IRegistryCredentialResolver>().ResolveAsync(positional[2]);
                    if (resolution.Credential is not { } credential)
                    {
                        await Console.Error.WriteLineAsync("no credential: " + resolution.Message);
                        return 4;
                    }

                    Console.WriteLine(credential.Secret.Reveal());
                    return 0;
                default:
                    return 2;
            }
        }
        catch (RegistrySecretKeyException e)
        {
            await Console.Error.WriteLineAsync(nameof(RegistrySecretKeyException) + ": " + e.Message);
            return 3;
        }
    }
}
