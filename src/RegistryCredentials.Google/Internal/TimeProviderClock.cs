using Google.Apis.Util;

namespace RegistryCredentials.Google.Internal;

/// <summary>
/// Google.Apis.Auth's <see cref="IClock"/> over the library's <see cref="TimeProvider"/>: the <c>iat</c>/<c>exp</c> of the JWT
/// assertion and the <c>IssuedUtc</c> of the token response come from the same clock as the token cache.
/// </summary>
internal sealed class TimeProviderClock(TimeProvider time) : IClock
{
    public DateTime Now => time.GetLocalNow().DateTime;

    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;
}
