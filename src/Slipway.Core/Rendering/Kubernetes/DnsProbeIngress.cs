using System.Text.Json.Nodes;

namespace Slipway.Core.Rendering.Kubernetes;

/// <summary>
/// restart's DNS probe (laconic-so's <c>laconic-dns-probe</c>): a temporary Ingress in namespace default, class caddy,
/// routing only <c>http://HOST/.well-known/laconic-probe</c>. laconic-so pointed it at a Service that does not exist in
/// that namespace, so this cluster's Caddy answered 502 and only another server could pass; here Caddy answers it itself
/// (a redirect annotation: a static 302 whose Location carries this probe's token), so the probe can tell this
/// cluster's ingress from anything else that answers at the name.
/// </summary>
public static class DnsProbeIngress
{
    public const string Name = "laconic-dns-probe";

    public const string Namespace = "default";

    public const string Path = "/.well-known/laconic-probe";

    /// <summary>Where Caddy's answer points: the path again, with the token (never followed).</summary>
    public static string Location(string token) => $"{Path}?token={token}";

    public static JsonObject Render(string host, string token) => new()
    {
        ["apiVersion"] = "networking.k8s.io/v1",
        ["kind"] = "Ingress",
        ["metadata"] = new JsonObject
        {
            ["name"] = Name,
            ["namespace"] = Namespace,
            ["labels"] = new JsonObject { [SlipwayLabels.ManagedByLabel] = SlipwayLabels.ManagedByValue },
            ["annotations"] = new JsonObject
            {
                ["caddy.ingress.kubernetes.io/temporal-redirect"] = Location(token),
                // The probe is plain HTTP; an https redirect would hide the token.
                ["caddy.ingress.kubernetes.io/disable-ssl-redirect"] = "true",
                ["slipway.io/probe-token"] = token,
            },
        },
        ["spec"] = new JsonObject
        {
            ["ingressClassName"] = CaddyIngress.ClassName,
            ["rules"] = new JsonArray(new JsonObject
            {
                ["host"] = host,
                ["http"] = new JsonObject
                {
                    ["paths"] = new JsonArray(new JsonObject
                    {
                        ["path"] = Path,
                        ["pathType"] = "Exact",
                        // Required by the API; Caddy's static answer comes first and nothing is proxied.
                        ["backend"] = new JsonObject { ["service"] = new JsonObject { ["name"] = Name, ["port"] = new JsonObject { ["number"] = 80 } } },
                    }),
                },
            }),
        },
    };
}
