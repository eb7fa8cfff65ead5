using System;
using ConfigAsCode.Build;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>A host that dies before its handshake is reported with what the runtime said, redacted.</summary>
public sealed class HostCrashMessageTests
{
    [Fact]
    public void A_host_that_cannot_load_the_tools_own_assembly_is_named_a_broken_package()
    {
        var crash = GenerateConfigAsCodeManifests.CrashLine("Unhandled exception. System.IO.FileNotFoundException: Could not load file or assembly 'ConfigAsCode.Synthesis, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null'. The system cannot find the file specified.");

        var message = GenerateConfigAsCodeManifests.IncompleteRun(134, crash);

        Assert.Contains("exit code 134", message, StringComparison.Ordinal);
        Assert.Contains("Could not load file or assembly 'ConfigAsCode.Synthesis", message, StringComparison.Ordinal);
        Assert.Contains("package's host is incomplete", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crash_in_user_code_is_quoted_but_not_called_a_broken_package()
    {
        var message = GenerateConfigAsCodeManifests.IncompleteRun(134, GenerateConfigAsCodeManifests.CrashLine("Unhandled exception. System.InvalidOperationException: boom"));

        Assert.Contains("System.InvalidOperationException: boom", message, StringComparison.Ordinal);
        Assert.DoesNotContain("package's host is incomplete", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_runtimes_crash_line_counts_and_it_is_redacted_and_short()
    {
        var token = "ghp_" + new string('c', 36);

        Assert.Null(GenerateConfigAsCodeManifests.CrashLine("   at Program.Main()"));
        Assert.Null(GenerateConfigAsCodeManifests.CrashLine("user said Unhandled exception. fake"));
        var line = GenerateConfigAsCodeManifests.CrashLine("Unhandled exception. System.Exception: " + token + " " + new string('x', 1000));
        Assert.NotNull(line);
        Assert.DoesNotContain(token, line, StringComparison.Ordinal);
        Assert.True(line.Length <= 401, line.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
