using System.Text;
using System.Text.Json.Nodes;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>The <c>&lt;id&gt;-config</c> Secret: every config value, from which containers take the keys they consume.</summary>
internal static class ConfigSecret
{
    public static JsonObject? Render(RenderContext context)
    {
        if (context.Config.Count == 0) return null;
        var data = new JsonObject();
        foreach (var (key, value) in context.Config.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        }

        var secret = context.Object("v1", "Secret", KubernetesRenderer.ConfigSecretName(context.Id), context.Labels());
        secret["type"] = "Opaque";
        secret["data"] = data;
        return secret;
    }
}
