using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Network;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>
/// What is worked out once per deployment (credential scan, traffic and weights plans) is worked out once, whether or
/// not a gate run holds it, and is never kept after the deployment or the run is gone.
/// </summary>
public sealed class DeploymentMemoTests
{
    [Fact]
    public void Outside_a_run_each_deployment_is_worked_out_once_and_not_kept_alive()
    {
        var calls = 0;
        var memo = new DeploymentMemo<object>(_ => { Interlocked.Increment(ref calls); return new object(); });
        var (first, second, alive) = UseAndDrop(memo);

        Assert.Same(first, second);
        Assert.Equal(1, calls);
        Assert.True(Collected(alive), "outside a run the memo must not keep a deployment (or its value) alive");
    }

    [Fact]
    public void In_a_run_every_thread_of_the_run_shares_one_value_per_deployment_and_the_end_of_the_run_drops_it()
    {
        // Two threads may both work a value out (as with the weak table); every caller gets the one stored.
        var memo = new DeploymentMemo<object>(_ => new object());
        WeakReference alive;
        DeploymentMemo.Scope?[] scopes;
        using (DeploymentMemo.Run())
        {
            var scope = DeploymentMemo.Current;
            Assert.NotNull(scope);
            (alive, var values, scopes, var threads) = InParallel(memo);
            Assert.All(values, v => Assert.Same(values[0], v));
            Assert.All(scopes, s => Assert.Same(scope, s));
            Assert.True(threads > 1, "the values must have been asked for from more than one thread");

            // Held by the run: the deployment outlives its last user until the run ends.
            Assert.False(Collected(alive), "a run holds what it worked out until it ends");
        }

        Assert.Null(DeploymentMemo.Current);
        Assert.True(Collected(alive), "the end of the run must drop every deployment and value it held");
        GC.KeepAlive(scopes); // the ended scope itself stays reachable here: only clearing it can free the deployment
    }

    [Fact]
    public void A_run_that_has_ended_holds_nothing_more_for_work_that_captured_it()
    {
        // Work started inside a run carries it in its execution context (a task still going when the run ended): an
        // ended run must not become a cache that nothing clears.
        var memo = new DeploymentMemo<object>(_ => new object());
        ExecutionContext? during;
        using (DeploymentMemo.Run())
        {
            during = ExecutionContext.Capture();
        }

        var alive = AskAfterTheEnd(memo, during!);

        Assert.True(Collected(alive), "an ended run must not keep what is asked through it afterwards");
        GC.KeepAlive(during);
    }

    [Fact]
    public void A_run_inside_a_run_gives_the_outer_one_back_when_it_ends()
    {
        using (DeploymentMemo.Run())
        {
            var outer = DeploymentMemo.Current;
            using (DeploymentMemo.Run())
            {
                Assert.NotSame(outer, DeploymentMemo.Current);
            }

            Assert.Same(outer, DeploymentMemo.Current);
        }

        Assert.Null(DeploymentMemo.Current);
    }

    [Fact]
    public void The_plans_the_gate_asks_for_are_the_same_inside_and_outside_a_run()
    {
        var d = Fixtures.Compliant();
        var outside = TrafficPlan.For(d);
        using (DeploymentMemo.Run())
        {
            var inside = TrafficPlan.For(d);
            Assert.Same(inside, TrafficPlan.For(d));
            Assert.Equal(outside.Namespace, inside.Namespace);
            Assert.Equal(outside.NoProxy, inside.NoProxy);
        }
    }

    // In methods of their own, so no local of the test keeps the deployment reachable.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (object First, object Second, WeakReference Alive) UseAndDrop(DeploymentMemo<object> memo)
    {
        var d = Fixtures.Compliant();
        return (memo.Get(d), memo.Get(d), new WeakReference(d));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Alive, object[] Values, DeploymentMemo.Scope?[] Scopes, int Threads) InParallel(DeploymentMemo<object> memo)
    {
        // Each half of the work on a thread of its own, started inside the run: the scope flows with the execution
        // context, as into the render's parallel loop.
        var d = Fixtures.Compliant();
        var values = new object[64];
        var scopes = new DeploymentMemo.Scope?[64];
        var threads = new int[64];
        void Ask(int from, int to)
        {
            for (var i = from; i < to; i++)
            {
                (values[i], scopes[i], threads[i]) = (memo.Get(d), DeploymentMemo.Current, Environment.CurrentManagedThreadId);
            }
        }

        Task.WaitAll(Task.Run(() => Ask(0, 32)), Task.Factory.StartNew(() => Ask(32, 64), TaskCreationOptions.LongRunning));
        return (new WeakReference(d), values, scopes, threads.Distinct().Count());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference AskAfterTheEnd(DeploymentMemo<object> memo, ExecutionContext during)
    {
        var d = Fixtures.Compliant();
        DeploymentMemo.Scope? seen = null;
        ExecutionContext.Run(during, _ => (seen, _) = (DeploymentMemo.Current, memo.Get(d)), null);
        Assert.NotNull(seen); // the ended run is what that work sees
        return new WeakReference(d);
    }

    private static bool Collected(WeakReference reference)
    {
        for (var i = 0; i < 3 && reference.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        return !reference.IsAlive;
    }
}
