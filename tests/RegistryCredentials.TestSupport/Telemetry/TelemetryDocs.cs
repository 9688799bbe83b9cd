using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;

namespace RegistryCredentials.Tests.Support.Telemetry;

/// <summary>
/// Reads the two tables of docs/telemetry.md (instruments; activities) so that tests can hold the code to what the
/// document says: the instruments a meter publishes, their kind and unit, the tags their measurements carry, the
/// activities a source starts and their tags.
/// </summary>
public static partial class TelemetryDocs
{
    private static readonly Lazy<(IReadOnlyList<DocumentedInstrument> Instruments, IReadOnlyList<DocumentedActivity> Activities)> Tables = new(Read);

    public static IReadOnlyList<DocumentedInstrument> Instruments => Tables.Value.Instruments;

    public static IReadOnlyList<DocumentedActivity> Activities => Tables.Value.Activities;

    /// <summary>
    /// Asserts that the instruments <paramref name="recorder"/> saw from <paramref name="meter"/> are exactly those the
    /// document lists for it, with its kind and unit; that histograms advise bucket boundaries; and that every
    /// measurement carries only documented tags.
    /// </summary>
    public static void AssertMeterMatches(TelemetryRecorder recorder, string meter)
    {
        var documented = Instruments.Where(i => i.Meter == meter).ToDictionary(i => i.Name, StringComparer.Ordinal);
        var published = recorder.Instruments.Where(i => i.Meter.Name == meter).ToList();
        Assert.That(published.Select(i => i.Name), Is.EquivalentTo(documented.Keys), $"the instruments of meter {meter} against docs/telemetry.md");
        foreach (var instrument in published)
        {
            var doc = documented[instrument.Name];
            Assert.That(KindOf(instrument), Is.EqualTo(doc.Kind), instrument.Name + " kind");
            Assert.That(instrument.Unit, Is.EqualTo(doc.Unit), instrument.Name + " unit");
            Assert.That(instrument.Name, Does.Match("^registrycredentials(\\.[a-z_]+)+$"), "the naming scheme");
            if (instrument is Histogram<double> histogram)
            {
                Assert.That(doc.Unit, Is.EqualTo("s"), "durations are in seconds");
                Assert.That(
                    histogram.Advice?.HistogramBucketBoundaries,
                    Is.Not.Null.And.Not.Empty.And.Ordered,
                    instrument.Name + " advises buckets in seconds");
            }
        }

        foreach (var measurement in recorder.Measurements.Where(m => m.Instrument.Meter.Name == meter))
        {
            Assert.That(measurement.Tags.Keys, Is.SubsetOf(documented[measurement.Instrument.Name].Tags), "undocumented tag on " + measurement);
            Assert.That(measurement.Value, Is.GreaterThanOrEqualTo(0), measurement.ToString());
        }
    }

    /// <summary>
    /// Asserts that every activity <paramref name="recorder"/> saw from <paramref name="source"/> is documented for it,
    /// with its kind, carries only documented tags, and that <paramref name="expected"/> were among them.
    /// </summary>
    public static void AssertActivitiesMatch(TelemetryRecorder recorder, string source, params string[] expected)
    {
        var documented = Activities.Where(a => a.Source == source).ToDictionary(a => a.Name, StringComparer.Ordinal);
        var seen = recorder.Activities.Where(a => a.Source.Name == source).ToList();
        Assert.That(seen.Select(a => a.OperationName).Distinct(), Is.SupersetOf(expected), "activities of " + source);
        foreach (var activity in seen)
        {
            Assert.That(documented.ContainsKey(activity.OperationName), Is.True, $"activity {activity.OperationName} of {source} is not in docs/telemetry.md");
            var doc = documented[activity.OperationName];
            Assert.That(activity.Kind.ToString().ToLowerInvariant(), Is.EqualTo(doc.Kind), activity.OperationName + " kind");
            Assert.That(activity.TagObjects.Select(t => t.Key), Is.SubsetOf(doc.Tags), "undocumented tag on activity " + activity.OperationName);
        }
    }

    private static string KindOf(Instrument instrument) => instrument switch
    {
        Counter<long> => "counter",
        Histogram<double> => "histogram",
        _ => instrument.GetType().Name,
    };

    private static (IReadOnlyList<DocumentedInstrument>, IReadOnlyList<DocumentedActivity>) Read()
    {
        var instruments = new List<DocumentedInstrument>();
        var activities = new List<DocumentedActivity>();
        foreach (var line in File.ReadLines(Locate()))
        {
            if (!line.StartsWith("| `", StringComparison.Ordinal))
            {
                continue;
            }

            var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            var first = Code(cells[0]).Single();
            var second = Code(cells[1]).Single();
            if (second.StartsWith("registrycredentials.", StringComparison.Ordinal))
            {
                // | meter | instrument | kind | unit | tags | what it measures |
                instruments.Add(new DocumentedInstrument(first, second, cells[2], Code(cells[3]).Single(), Code(cells[4])));
            }
            else
            {
                // | source | activity | kind | tags | what it covers |
                activities.Add(new DocumentedActivity(first, second, cells[2], Code(cells[3])));
            }
        }

        Assert.That(instruments, Is.Not.Empty, "docs/telemetry.md has no instrument table");
        return (instruments, activities);
    }

    private static string[] Code(string cell) => [.. CodeSpan().Matches(cell).Select(m => m.Groups[1].Value)];

    private static string Locate()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "docs", "telemetry.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/telemetry.md was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();
}
