using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;

namespace ConfigAsCode.Tests.Support;

/// <summary>
/// The project's approval (golden-file) helper: compares text with a committed <c>*.verified.*</c> file next to
/// the test. On a mismatch it writes <c>*.received.*</c> beside it and fails with the first differing line. It
/// never accepts on its own: set <c>CONFIGASCODE_ACCEPT_SNAPSHOTS=true</c> locally to overwrite the verified
/// file, which is refused when <c>CI=true</c>.
/// </summary>
internal static class Approver
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static void Verify(string actual, string name, string extension = "txt", [CallerFilePath] string testFile = "")
    {
        // CallerFilePath is mapped to "/_/..." in CI builds (ContinuousIntegrationBuild), so resolve from the repository.
        var directory = Path.Combine(Fixtures.RepositoryRoot, "tests", "ConfigAsCode.Tests", "Snapshots");
        var verified = Path.Combine(directory, $"{name}.verified.{extension}");
        var received = Path.Combine(directory, $"{name}.received.{extension}");
        var expected = File.Exists(verified) ? File.ReadAllText(verified, Utf8NoBom) : null;

        if (string.Equals(expected, actual, StringComparison.Ordinal))
        {
            if (File.Exists(received))
            {
                File.Delete(received);
            }

            return;
        }

        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        var accept = string.Equals(Environment.GetEnvironmentVariable("CONFIGASCODE_ACCEPT_SNAPSHOTS"), "true", StringComparison.OrdinalIgnoreCase);
        Directory.CreateDirectory(directory);
        if (accept && !inCi)
        {
            File.WriteAllText(verified, actual, Utf8NoBom);
            return;
        }

        File.WriteAllText(received, actual, Utf8NoBom);
        throw new Xunit.Sdk.XunitException(
            (expected is null ? $"No verified snapshot {verified}." : $"Snapshot {name} differs: {FirstDifference(expected, actual)}")
            + $"{Environment.NewLine}Received output written to {received}. Review it; to accept, rename it to .verified or run with CONFIGASCODE_ACCEPT_SNAPSHOTS=true (refused when CI=true).");
    }

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var left = i < e.Length ? e[i] : "<end>";
            var right = i < a.Length ? a[i] : "<end>";
            if (!string.Equals(left, right, StringComparison.Ordinal))
            {
                return $"line {i + 1}: expected '{left}', received '{right}'";
            }
        }

        return "lengths differ";
    }
}
