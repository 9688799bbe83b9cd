// regcred-lookup: regcred's per-pull lookups (the Docker credential helper's get, the kubelet credential-provider plugin)
// in a small Native AOT executable; every other command line is handed to the regcred executable beside it.
using RegistryCredentials.Cli.Interop;
using RegistryCredentials.Cli.Lookup;

return await LookupApp.RunAsync(args, InvocationName.Detect());
