using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ConfigAsCode.Build;

/// <summary>
/// Re-logs the warnings of the gate's last run when the gate is up to date and skipped, so every build shows them
/// (and <c>-warnaserror</c>, which tasks cannot see in SDK projects, still turns them into errors). The file holds
/// protocol lines the host wrote, already redacted.
/// </summary>
public sealed class ReplayConfigAsCodeWarnings : Task
{
    /// <summary>The host's warnings file (<c>warnings.log</c> in the output folder).</summary>
    [Required]
    public string File { get; set; } = string.Empty;

    public override bool Execute()
    {
        if (!System.IO.File.Exists(File))
        {
            return true;
        }

        foreach (var line in System.IO.File.ReadAllLines(File))
        {
            if (GenerateConfigAsCodeManifests.Parse(line) is { Kind: "warning" } warning)
            {
                Log.LogWarning(null, warning.Code, GenerateConfigAsCodeManifests.HelpKeywordOf(warning.Code), warning.File, warning.Line, 0, 0, 0, warning.Text);
            }
        }

        return !Log.HasLoggedErrors;
    }
}
