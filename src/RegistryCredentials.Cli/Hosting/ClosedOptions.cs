using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RegistryCredentials.Cli.Hosting;

/// <summary>
/// Registers the options services of one options type as closed types (<c>IOptions&lt;T&gt;</c>, <c>IOptionsMonitor&lt;T&gt;</c>,
/// their factory and cache), built from the same configure, post-configure and validate registrations the library made.
/// Microsoft.Extensions.Options registers them as open generics, which the container closes at run time: in a Native AOT
/// process that goes through the runtime type loader and was the largest single cost of a lookup (profiled with perf).
/// Closed registrations are found first and need none of that; the values and their validation are the same.
/// </summary>
internal static class ClosedOptions
{
    public static void Add<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(IServiceCollection services)
        where TOptions : class
    {
        services.AddSingleton<IOptionsFactory<TOptions>>(sp => new OptionsFactory<TOptions>(
            sp.GetServices<IConfigureOptions<TOptions>>(), sp.GetServices<IPostConfigureOptions<TOptions>>(), sp.GetServices<IValidateOptions<TOptions>>()));
        services.AddSingleton<IOptionsMonitorCache<TOptions>>(_ => new OptionsCache<TOptions>());
        services.AddSingleton<IOptionsMonitor<TOptions>>(sp => new OptionsMonitor<TOptions>(
            sp.GetRequiredService<IOptionsFactory<TOptions>>(),
            sp.GetServices<IOptionsChangeTokenSource<TOptions>>(),
            sp.GetRequiredService<IOptionsMonitorCache<TOptions>>()));
        services.AddSingleton<IOptions<TOptions>>(sp => new OptionsWrapper<TOptions>(sp.GetRequiredService<IOptionsMonitor<TOptions>>().CurrentValue));
    }
}
