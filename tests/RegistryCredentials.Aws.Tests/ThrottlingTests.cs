using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using RegistryCredentials.Aws.Tests.Support;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Aws.Tests;

/// <summary><c>ThrottlingException</c> is retried with exponential backoff and jitter (on the TimeProvider), then typed.</summary>
public partial class ThrottlingTests
{
    private FakeEcrEndpoint _ecr = null!;
    private TestHost _host = null!;
    private string _registry = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        var keys = AwsTestKeys.NewLongTerm();
        _registry = $"{AwsTestKeys.NewAccountId()}.dkr.ecr.ap-northeast-1.amazonaws.com";
        _host = EcrTestHosts.Create(o =>
        {
            o.ServiceUrl = _ecr.BaseUri;
            o.MaxRetries = 3;
            o.RetryBaseDelay = TimeSpan.FromSeconds(1);
            o.RetryMaxDelay = TimeSpan.FromSeconds(3);
        });
        _ecr = await FakeEcrEndpoint.StartAsync(_host.Time);
        _ecr.AddKeys(keys);
        await _host.AddEcrAsync(_registry, keys.AccessKeyId, keys.SecretAccessKey);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        _host.Dispose();
        await _ecr.DisposeAsync();
    }

    [Test]
    public async Task Throttling_is_retried_with_backoff_and_jitter_then_succeeds()
    {
        _ecr.ThrottleNext(3);

        var resolve = _host.ResolveCredentialAsync(_registry + "/app:1");
        var delays = await StepThroughRetriesAsync(3);
        var credential = await resolve;

        Assert.That(_ecr.Calls.Select(c => c.ErrorCode), Is.EqualTo(new[] { "ThrottlingException", "ThrottlingException", "ThrottlingException", null }));
        Assert.That(credential.Secret.Reveal(), Is.EqualTo(_ecr.LastPassword));
        Assert.That(delays, Is.Not.EqualTo(new[] { 1000.0, 2000.0, 3000.0 }), "jitter takes a random part off the backoff");
    }

    [Test]
    public async Task Throttling_that_does_not_stop_ends_in_a_typed_error()
    {
        _ecr.ThrottleNext(int.MaxValue);

        var resolve = _host.ResolveCredentialAsync(_registry + "/app:1");
        await StepThroughRetriesAsync(3);
        var error = Assert.ThrowsAsync<AwsEcrException>(() => resolve);

        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(AwsEcrErrorKind.Throttled));
            Assert.That(error.ErrorCode, Is.EqualTo("ThrottlingException"));
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(error.Outcome, Is.EqualTo(RegistryValidationOutcome.Unreachable));
            Assert.That(_ecr.RequestCount, Is.EqualTo(4), "one call and three retries");
        });
    }

    /// <summary>
    /// For each retry: reads the delay the client chose from its log, checks it lies in [cap/2, cap] with
    /// cap = min(1 s * 2^n, 3 s), moves the fake clock to 1 ms before it (no call may come), then past it (the call comes).
    /// </summary>
    private async Task<double[]> StepThroughRetriesAsync(int retries)
    {
        var delays = new double[retries];
        for (var n = 0; n < retries; n++)
        {
            var retry = n + 1;
            Match? logged = null;
            await EcrTestHosts.WaitUntilAsync(
                () =>
                    (logged = _host.Logs.Lines.Select(l =>
                         RetryLine().Match(l)).FirstOrDefault(m =>
                        m.Success && m.Groups[1].Value == retry.ToString(CultureInfo.InvariantCulture))) is not null,
                $"retry {retry} is scheduled");
            var delay = double.Parse(logged!.Groups[2].Value, CultureInfo.InvariantCulture);
            var cap = Math.Min(1000 * Math.Pow(2, n), 3000);
            Assert.That(delay, Is.InRange(cap / 2, cap), $"delay before retry {retry}");
            delays[n] = delay;

            _host.Time.Advance(TimeSpan.FromMilliseconds(delay - 1));
            await Task.Delay(50);
            Assert.That(_ecr.RequestCount, Is.EqualTo(retry), $"retry {retry} must wait its whole delay");
            _host.Time.Advance(TimeSpan.FromMilliseconds(2));
            await EcrTestHosts.WaitUntilAsync(() => _ecr.RequestCount == retry + 1, $"retry {retry} is sent");
        }

        return delays;
    }

    [GeneratedRegex(@"retry (\d+) of \d+ in ([0-9.]+) ms")]
    private static partial Regex RetryLine();
}
