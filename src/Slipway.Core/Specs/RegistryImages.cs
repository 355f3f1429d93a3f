namespace Slipway.Core.Specs;

/// <summary>
/// Where an image lives under the spec's <c>image-registry</c>: <c>&lt;registry&gt;/&lt;the image's repository path&gt;</c>,
/// the image's own org kept (image-registry <c>host:5000/team</c> and image <c>cerc/foo</c> give
/// <c>host:5000/team/cerc/foo</c>), so two orgs' <c>app</c> images never share a repository. A registry host already
/// in the image's name is replaced. laconic-so drops the image's org on Kubernetes but keeps it when it publishes;
/// Slipway uses this one rule for both, so what is pushed is what is pulled.
/// </summary>
public static class RegistryImages
{
    /// <param name="registry">host[:port][/path], without a scheme.</param>
    public static string Under(string registry, string image)
    {
        var name = image;
        var slash = name.IndexOf('/');
        if (slash > 0)
        {
            var first = name[..slash];
            if (first.Contains('.') || first.Contains(':') || first == "localhost") name = name[(slash + 1)..];
        }

        return registry.Trim().TrimEnd('/') + "/" + name;
    }
}
