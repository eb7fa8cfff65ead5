using System.Collections.Generic;

namespace ConfigAsCode;

/// <summary>
/// The discovery contract: a config project exposes its deployments by declaring one or more public,
/// non-abstract subclasses with a public parameterless constructor. The build instantiates each one and calls
/// <see cref="Declare"/> once. Nothing else is scanned: no attributes, no static fields, no naming conventions.
/// </summary>
public abstract class InferencePlatform
{
    /// <summary>The platform's name, stamped as <c>app.kubernetes.io/part-of</c>. Defaults to the class name in kebab case.</summary>
    public virtual string Name => KebabCase(GetType().Name);

    /// <summary>Every deployment in every environment. Called once per build; it must not depend on the machine it runs on.</summary>
    public abstract IEnumerable<InferenceDeployment> Declare();

    /// <summary>Where prices are looked up. AWS us-east-1 on demand unless overridden.</summary>
    public virtual PricingTarget Pricing => PricingTarget.AwsUsEast1;

    /// <summary>Monthly budgets and increase thresholds (CAC4005, CAC4006). None by default.</summary>
    public virtual IEnumerable<CostBudget> Budgets() => [];

    /// <summary>Negotiated GPU prices; they win over the shipped catalog and price files.</summary>
    public virtual IEnumerable<GpuPriceOverride> Prices() => [];

    private static string KebabCase(string typeName)
    {
        var chars = new System.Text.StringBuilder(typeName.Length + 8);
        for (var i = 0; i < typeName.Length; i++)
        {
            var c = typeName[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(typeName[i - 1]) || (i + 1 < typeName.Length && char.IsLower(typeName[i + 1]))))
                {
                    chars.Append('-');
                }

                chars.Append(char.ToLowerInvariant(c));
            }
            else if (char.IsLetterOrDigit(c))
            {
                chars.Append(c);
            }
            else
            {
                chars.Append('-');
            }
        }

        return chars.ToString().Trim('-');
    }
}
