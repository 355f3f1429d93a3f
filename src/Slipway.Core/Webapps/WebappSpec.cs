using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Webapps;

/// <summary>
/// What <c>deploy-webapp create</c> adds to the webapp-template spec: an http-proxy entry for the URL's host and
/// path to <c>webapp:80</c>, and the image as <c>image-overrides.webapp</c>.
/// </summary>
public static class WebappSpec
{
    /// <summary>The webapp-template stack's one service, and the port it serves on.</summary>
    public const string Service = "webapp";

    public const int Port = 80;

    /// <summary>The image the webapp-template compose file names (laconic-so replaced this text in D's copy).</summary>
    public const string TemplateImage = "cerc/webapp-container:local";

    /// <summary>The URL's host and path ("/" when it has none); null with the reason when it is not an http(s) URL with a host.</summary>
    public static (string Host, string Path)? ParseUrl(string url, out string? error)
    {
        error = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            error = $"--url '{url}' is not an http:// or https:// URL with a host name (e.g. https://app.example.org/path)";
            return null;
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            error = $"--url '{url}' has a query or fragment; an Ingress route is a host and a path only";
            return null;
        }

        return (uri.IdnHost, uri.AbsolutePath.Length == 0 ? "/" : uri.AbsolutePath);
    }

    /// <summary>The spec keys merged over the generated webapp-template spec.</summary>
    public static YamlMappingNode Overlay(string host, string path, string image) => new()
    {
        {
            "network", new YamlMappingNode
            {
                {
                    "http-proxy", new YamlSequenceNode(new YamlMappingNode
                    {
                        { "host-name", host },
                        { "routes", new YamlSequenceNode(new YamlMappingNode { { "path", path }, { "proxy-to", $"{Service}:{Port}" } }) },
                    })
                },
            }
        },
        { "image-overrides", new YamlMappingNode { { Service, image } } },
    };
}
