namespace Slipway.TestKit;

/// <summary>Deployment directories' Kubernetes files for tests that fake kubectl.</summary>
public static class KubernetesFixtures
{
    /// <summary>D/k8s/manifests.yml of a one-pod stack ("tiny", pod "web"): its Namespace owned by <paramref name="owner"/> and one Deployment.</summary>
    public static string TinyManifests(string id, string owner) => $"""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: tiny
          annotations:
            slipway.io/owner: {owner}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {id}-web
          namespace: tiny
        spec:
          template:
            metadata:
              labels:
                slipway.io/pod: web
            spec:
              containers:
                - name: web
                  image: busybox
        """;
}
