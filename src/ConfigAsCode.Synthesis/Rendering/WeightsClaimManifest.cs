using ConfigAsCode.Synthesis.Weights;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>
/// The <c>v1</c> PersistentVolumeClaim of a shared weights cache: ReadWriteMany on the declared storage class, sized
/// from the checkpoint, named per model revision so a new revision gets a new claim (a claim never shrinks, and the old
/// one is kept by Kubernetes until the last pod of the old revision is gone).
/// </summary>
internal static class WeightsClaimManifest
{
    public static MapNode? Build(WorkloadIdentity id, WeightsPlan plan)
    {
        if (plan.Cache is not SharedVolumeCache shared || plan.SharedClaimName is not { } name)
        {
            return null;
        }

        var d = id.Deployment;
        return new MapNode()
            .Set("apiVersion", "v1")
            .Set("kind", "PersistentVolumeClaim")
            // The model's identity, not the config hash: the claim changes only when the weights do.
            .Set("metadata", id.Metadata(name).Set("annotations", MapNode.Of(id.PodAnnotations)))
            .Set("spec", new MapNode()
                .Set("accessModes", ListNode.Of("ReadWriteMany"))
                .Set("storageClassName", shared.StorageClass ?? d.Cluster?.SharedStorageClass)
                .Set("resources", new MapNode().Set("requests", new MapNode().Set("storage", Quantities.MemoryMiB(plan.VolumeGiB * 1024)))));
    }
}
