using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Gate;

namespace ConfigAsCode.Benchmarks;

/// <summary>
/// The whole gate in one process, step by step (GateOptions.Progress), on the synthetic fleet: first run accepts into
/// the folder, the next ones compare. Warm runs separate the steps' own cost from JIT and start-up, which gate.sh's
/// cold processes include.
/// </summary>
internal static class GateBenchmark
{
    public static int Run(int count, string folder, int repetitions)
    {
        Directory.CreateDirectory(folder);
        for (var run = 0; run <= repetitions; run++)
        {
            // Wall time and CPU time (all threads) per step: CPU time is the work, steadier on a shared machine.
            var steps = new List<(string Step, double Ms, double CpuMs, double AllocatedMb)>();
            var clock = Stopwatch.StartNew();
            using var process = Process.GetCurrentProcess();
            var last = 0.0;
            var lastCpu = process.TotalProcessorTime.TotalMilliseconds;
            var lastAllocated = GC.GetTotalAllocatedBytes(precise: true);
            var current = "evaluating";
            void Enter(string step)
            {
                var now = clock.Elapsed.TotalMilliseconds;
                process.Refresh();
                var cpu = process.TotalProcessorTime.TotalMilliseconds;
                var allocatedNow = GC.GetTotalAllocatedBytes(precise: true);
                steps.Add((current, now - last, cpu - lastCpu, (allocatedNow - lastAllocated) / 1048576.0));
                (current, last, lastCpu, lastAllocated) = (step, now, cpu, allocatedNow);
            }

            var allocated = GC.GetTotalAllocatedBytes(precise: false);
            var (pause, gen0, gen1, gen2) = (GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var evaluation = PlatformEvaluator.Evaluate([new SyntheticFleet(count)]);
            var outcome = GateRunner.Run(evaluation, new GateOptions
            {
                ProjectDirectory = folder,
                SnapshotDirectory = Path.Combine(folder, "deploy"),
                OutputDirectory = Path.Combine(folder, "obj"),
                Accept = run == 0,
                Progress = Enter,
            });
            Enter("end");
            var failed = outcome.Diagnostics.Where(d => d.Severity == Synthesis.Rules.RuleSeverity.Error).Take(3).ToArray();
            if (run > 0 && failed.Length > 0)
            {
                Console.Error.WriteLine(string.Join("\n", failed.Select(d => d.Message)));
                return 1;
            }

            var split = string.Join(" ", steps.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Step.Replace(' ', '_')}={s.Ms:F0}/{s.CpuMs:F0}/{s.AllocatedMb:F0}MB")));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run={run} n={count} wall_ms/cpu_ms/allocated: total={clock.Elapsed.TotalMilliseconds:F0} allocated_mb={(GC.GetTotalAllocatedBytes(precise: false) - allocated) / 1048576.0:F0} gc_pause_ms={(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:F0} gc={GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2} {split}"));
        }

        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak_working_set_mb={self.PeakWorkingSet64 / 1048576.0:F0}"));
        return 0;
    }
}
