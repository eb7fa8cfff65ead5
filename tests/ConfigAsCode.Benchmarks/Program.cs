using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using ConfigAsCode.Benchmarks;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Validation;

// Usage: ConfigAsCode.Benchmarks synthesis <N> [repetitions] [--rollouts]
//        ConfigAsCode.Benchmarks gate <N> <folder> [repetitions]   (the whole gate in-process, step by step, against
//        snapshots accepted into <folder> on the first run; for profiling: gate.sh measures what users wait for)
// Prints one line per repetition, then the best: N, objects, evaluate/validate/render milliseconds, peak working set.
// Run each N in its own process (run.sh does) so the peak working set belongs to that N alone.
if (args.Length >= 3 && args[0] == "gate" && int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var fleet))
{
    return GateBenchmark.Run(fleet, args[2], args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3);
}

if (args.Length < 2 || args[0] != "synthesis" || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
{
    Console.Error.WriteLine("usage: ConfigAsCode.Benchmarks synthesis <N> [repetitions]");
    return 2;
}

var repetitions = args.Length > 2 && args[2] != "--rollouts" ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
var rollouts = args.Contains("--rollouts");
var totals = new System.Collections.Generic.List<double>();
for (var run = 0; run < repetitions; run++)
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    var total = Stopwatch.StartNew();
    var evaluation = PlatformEvaluator.Evaluate([new SyntheticFleet(count, rollouts)]);
    var evaluated = total.Elapsed.TotalMilliseconds;
    var report = PlatformValidator.Validate(evaluation.Deployments);
    var validated = total.Elapsed.TotalMilliseconds;
    var rendered = ManifestRenderer.Render(evaluation.Deployments);
    total.Stop();

    // Compliant, not merely error-free: warnings would add message formatting to what is measured (CAC4008 once did).
    if (evaluation.Failed || rendered.Findings.Count > 0 || report.Violations.Any())
    {
        Console.Error.WriteLine("the synthetic platform must render cleanly: " + string.Join("; ", evaluation.Failures.Concat(rendered.Findings).Concat(report.Violations).Take(3)));
        return 1;
    }

    totals.Add(total.Elapsed.TotalMilliseconds);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"run={run} n={count} deployments={evaluation.Deployments.Count} objects={rendered.Objects.Count} files={rendered.Files.Count} findings={report.Findings.Count} evaluate_ms={evaluated:F0} validate_ms={validated - evaluated:F0} render_ms={total.Elapsed.TotalMilliseconds - validated:F0} total_ms={total.Elapsed.TotalMilliseconds:F0}"));
}

using var self = Process.GetCurrentProcess();
self.Refresh();
var sorted = totals.OrderBy(t => t).ToArray();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"summary n={count} rollouts={rollouts} first_ms={totals[0]:F0} best_ms={sorted[0]:F0} median_ms={sorted[sorted.Length / 2]:F0} peak_working_set_mb={self.PeakWorkingSet64 / (1024.0 * 1024.0):F0}"));
return 0;

/// <summary>The synthetic fleet of a given size, for the in-process benchmark.</summary>
internal sealed class SyntheticFleet(int count, bool rollouts = false) : SyntheticPlatform(count, rollouts);
