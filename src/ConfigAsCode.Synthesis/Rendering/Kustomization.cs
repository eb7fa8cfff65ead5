using System;
using System.Collections.Generic;
using System.Linq;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>A <c>kustomization.yaml</c> listing its folder's resources in ordinal order.</summary>
internal static class Kustomization
{
    public static MapNode Build(IEnumerable<string> resources) => new MapNode()
        .Set("apiVersion", "kustomize.config.k8s.io/v1beta1")
        .Set("kind", "Kustomization")
        .Set("resources", ListNode.Strings(resources.Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal)));
}
