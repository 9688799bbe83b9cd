// regcred: anchorectl-style registry credential management on RegistryCredentials, plus the Docker credential-helper
// protocol (when run as docker-credential-regcred or as `regcred helper …`) and the kubelet credential-provider plugin.
using RegistryCredentials.Cli.Cli;
using RegistryCredentials.Cli.Interop;

var terminal = Terminal.CreateSystem();
return await RegcredApp.RunAsync(args, terminal, InvocationName.Detect());
