using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;

namespace ConfigAsCode.Synthesis.Evaluation;

/// <summary>
/// A value worked out once per deployment instance (its credential scan, traffic plan, weights plan), asked for by
/// rendering, readiness and the rules alike. Instances are immutable, so the value never goes stale.
/// </summary>
/// <remarks>
/// Outside a run the values sit in a <see cref="ConditionalWeakTable{TKey,TValue}"/>, so a caller that keeps no
/// deployment keeps no value. Inside a <see cref="DeploymentMemo.Run"/> (the gate opens one for each build) they sit
/// in ordinary dictionaries dropped when the run ends: a weak table is a dependent handle per entry, and every
/// collection, even of the youngest generation, walks them all. At 10,000 deployments, three tables of 10,000
/// handles cost about a fifth of the host's garbage-collection pauses.
/// </remarks>
internal sealed class DeploymentMemo<T>
    where T : class
{
    private readonly ConditionalWeakTable<InferenceDeployment, T> _weak = new();
    private readonly Func<InferenceDeployment, T> _compute;
    private readonly ConditionalWeakTable<InferenceDeployment, T>.CreateValueCallback _computeWeak;

    public DeploymentMemo(Func<InferenceDeployment, T> compute)
    {
        ArgumentNullException.ThrowIfNull(compute);
        _compute = compute;
        _computeWeak = d => compute(d);
    }

    /// <summary>The value for <paramref name="deployment"/>, worked out on first use (in a run: once per run).</summary>
    public T Get(InferenceDeployment deployment) =>
        DeploymentMemo.Current is { IsOpen: true } run ? run.For(this).GetOrAdd(deployment, _compute) : _weak.GetValue(deployment, _computeWeak);
}

/// <summary>The scope in which <see cref="DeploymentMemo{T}"/> values are held strongly.</summary>
internal static class DeploymentMemo
{
    private static readonly AsyncLocal<Scope?> Ambient = new();

    internal static Scope? Current => Ambient.Value;

    /// <summary>
    /// Holds every memo's values strongly until disposed, on this thread and on the work it starts (a parallel loop
    /// sees the same scope: the execution context flows into its tasks). Disposing restores the scope before it.
    /// </summary>
    public static IDisposable Run()
    {
        var scope = new Scope(Ambient.Value);
        Ambient.Value = scope;
        return scope;
    }

    internal sealed class Scope : IDisposable
    {
        private readonly Scope? _outer;
        private readonly ConcurrentDictionary<object, object> _tables = new(ReferenceEqualityComparer.Instance);
        private volatile bool _open = true;

        public Scope(Scope? outer) => _outer = outer;

        /// <summary>
        /// False once the run has ended: work that captured it in its execution context (a task still going) then uses
        /// the weak table, so an ended run never fills up again with nothing to clear it.
        /// </summary>
        public bool IsOpen => _open;

        public ConcurrentDictionary<InferenceDeployment, T> For<T>(DeploymentMemo<T> memo)
            where T : class =>
            (ConcurrentDictionary<InferenceDeployment, T>)_tables.GetOrAdd(memo, static _ => new ConcurrentDictionary<InferenceDeployment, T>(ReferenceEqualityComparer.Instance));

        public void Dispose()
        {
            _open = false;
            _tables.Clear();

            // Only the current run gives the one before it back: ending an outer run first leaves the inner one current.
            if (ReferenceEquals(Ambient.Value, this))
            {
                Ambient.Value = _outer;
            }
        }
    }
}
