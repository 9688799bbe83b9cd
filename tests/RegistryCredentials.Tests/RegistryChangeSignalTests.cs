namespace RegistryCredentials.Tests;

public class RegistryChangeSignalTests
{
    [Test]
    public void A_token_fires_once_at_the_next_change_and_the_next_token_waits_for_the_one_after()
    {
        using var signal = new RegistryChangeSignal();
        var first = signal.Watch();
        var calls = 0;
        using var registration = first.RegisterChangeCallback(_ => calls++, null);
        Assert.That(first.HasChanged, Is.False);
        Assert.That(first.ActiveChangeCallbacks, Is.True);

        signal.Fire();
        var second = signal.Watch();
        signal.Fire();

        Assert.That(first.HasChanged, Is.True);
        Assert.That(calls, Is.EqualTo(1), "a token fires once");
        Assert.That(second.HasChanged, Is.True);
        Assert.That(signal.Watch().HasChanged, Is.False);
    }

    [Test]
    public void A_callback_registered_on_a_fired_token_runs_at_once()
    {
        using var signal = new RegistryChangeSignal();
        var token = signal.Watch();
        signal.Fire();
        signal.Fire(); // the first token's source is long replaced, and still usable

        var called = false;
        using var registration = token.RegisterChangeCallback(_ => called = true, null);
        Assert.That(called, Is.True);
    }

    [Test]
    public void Callbacks_run_on_the_firing_thread_and_may_watch_again()
    {
        using var signal = new RegistryChangeSignal();
        var firing = Environment.CurrentManagedThreadId;
        int? ranOn = null;
        Microsoft.Extensions.Primitives.IChangeToken? next = null;
        using var registration = signal.Watch().RegisterChangeCallback(_ =>
        {
            ranOn = Environment.CurrentManagedThreadId;
            next = signal.Watch(); // no lock is held while callbacks run
        }, null);

        signal.Fire();

        Assert.That(ranOn, Is.EqualTo(firing));
        Assert.That(next, Is.Not.Null);
        Assert.That(next!.HasChanged, Is.False, "the token taken inside the callback is the new one");
    }

    [Test]
    public void A_failing_callback_reaches_the_firing_caller_after_every_callback_ran_and_the_signal_goes_on()
    {
        using var signal = new RegistryChangeSignal();
        var token = signal.Watch();
        var others = 0;
        using var before = token.RegisterChangeCallback(_ => others++, null);
        using var failing = token.RegisterChangeCallback(_ => throw new InvalidOperationException("subscriber failed"), null);
        using var after = token.RegisterChangeCallback(_ => others++, null);

        var error = Assert.Throws<AggregateException>(signal.Fire);
        Assert.That(error!.InnerExceptions.Single().Message, Is.EqualTo("subscriber failed"));
        Assert.That(others, Is.EqualTo(2));

        var next = signal.Watch();
        signal.Fire();
        Assert.That(next.HasChanged, Is.True);
    }

    [Test]
    public void Fire_with_a_revision_always_fires_and_records_the_highest()
    {
        using var signal = new RegistryChangeSignal();
        Assert.That(signal.Revision, Is.Null);

        signal.Fire(5);
        Assert.That(signal.Revision, Is.EqualTo(5));

        var token = signal.Watch();
        signal.Fire(3); // an own change is signalled even when a higher revision was seen
        Assert.That(token.HasChanged, Is.True);
        Assert.That(signal.Revision, Is.EqualTo(5), "the revision never goes back");

        signal.Fire();
        Assert.That(signal.Revision, Is.EqualTo(5), "a change without a number keeps the revision");
    }

    [Test]
    public void FireIfNewer_fires_only_for_a_newer_revision()
    {
        using var signal = new RegistryChangeSignal();
        var token = signal.Watch();
        Assert.That(signal.FireIfNewer(0), Is.True, "any revision is newer than none");
        Assert.That(token.HasChanged, Is.True);

        token = signal.Watch();
        Assert.That(signal.FireIfNewer(0), Is.False);
        Assert.That(token.HasChanged, Is.False);

        Assert.That(signal.FireIfNewer(7), Is.True);
        Assert.That(token.HasChanged, Is.True);
        Assert.That(signal.Revision, Is.EqualTo(7));
    }

    [Test]
    public void SetBaseline_records_without_firing_and_never_goes_back()
    {
        using var signal = new RegistryChangeSignal();
        var token = signal.Watch();

        signal.SetBaseline(10);
        signal.SetBaseline(4);

        Assert.That(token.HasChanged, Is.False);
        Assert.That(signal.Revision, Is.EqualTo(10));
        Assert.That(signal.FireIfNewer(10), Is.False);
        Assert.That(signal.FireIfNewer(11), Is.True);
        Assert.That(token.HasChanged, Is.True);
    }

    [Test]
    public void After_disposal_nothing_fires_and_nothing_throws()
    {
        var signal = new RegistryChangeSignal();
        signal.Fire(2);
        var before = signal.Watch();
        var called = false;
        using var registration = before.RegisterChangeCallback(_ => called = true, null);

        signal.Dispose();
        Assert.That(before.HasChanged, Is.False, "disposing fires nothing");

        signal.Fire();
        signal.Fire(9);
        Assert.That(signal.FireIfNewer(10), Is.False);
        signal.SetBaseline(11);
        signal.Dispose();

        var after = signal.Watch();
        using var late = before.RegisterChangeCallback(_ => called = true, null);
        using var lateAfter = after.RegisterChangeCallback(_ => called = true, null);
        Assert.That(before.HasChanged, Is.False, "a token handed out before disposal never fires");
        Assert.That(after.HasChanged, Is.False, "a token handed out after disposal never fires");
        Assert.That(called, Is.False);
        Assert.That(signal.Revision, Is.EqualTo(2), "nothing is recorded after disposal");
    }

    [Test]
    public void Every_token_taken_before_a_fire_is_fired_under_concurrency()
    {
        using var signal = new RegistryChangeSignal();
        var missed = 0;
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                var token = signal.Watch();
                if (i % 2 == 0)
                {
                    signal.Fire(i);
                }
                else
                {
                    signal.Fire();
                }

                if (!token.HasChanged)
                {
                    Interlocked.Increment(ref missed);
                }
            }
        });

        Assert.That(missed, Is.Zero);
        Assert.That(signal.Revision, Is.EqualTo(1_998));
    }
}
