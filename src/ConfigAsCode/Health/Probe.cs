using System;

namespace ConfigAsCode;

/// <summary>An HTTP probe against the engine.</summary>
public sealed record Probe
{
    /// <summary>The HTTP path; the engine's health endpoint.</summary>
    public required string Path { get; init; }

    /// <summary>The port; the engine's HTTP port when null.</summary>
    public int? Port { get; init; }

    public int InitialDelaySeconds { get; init; }

    public int PeriodSeconds { get; init; } = 10;

    public int TimeoutSeconds { get; init; } = 5;

    public int FailureThreshold { get; init; } = 3;

    public int SuccessThreshold { get; init; } = 1;

    /// <summary>How long the probe tolerates a pod that does not answer before it acts.</summary>
    /// <remarks>Period x failure threshold can exceed what a TimeSpan holds (two large ints); such a probe tolerates for ever, TimeSpan.MaxValue.</remarks>
    public TimeSpan Tolerance
    {
        get
        {
            var seconds = InitialDelaySeconds + ((double)PeriodSeconds * FailureThreshold);
            return seconds >= 9.2e11 ? TimeSpan.MaxValue : seconds <= -9.2e11 ? TimeSpan.MinValue : TimeSpan.FromSeconds(seconds);
        }
    }
}
