using System.Text.Json.Nodes;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>The Namespace, annotated with the deployment directory that owns it (another directory landing there is refused).</summary>
internal static class NamespaceObject
{
    public static JsonObject Render(RenderContext context) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject
        {
            ["name"] = context.Namespace,
            ["labels"] = context.Labels(),
            ["annotations"] = new JsonObject { [SlipwayLabels.OwnerAnnotation] = context.Inputs.DeploymentDirectory },
        },
    };
}
