using System.Runtime.CompilerServices;
using System.Text;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Files;
using Slipway.Core.Rendering;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Files;

namespace Slipway.Core.Tests.Kubernetes;

/// <summary>A fixture stack under Kubernetes/Fixtures/&lt;name&gt;: spec.yml beside stack/, rendered as deployment /deployments/&lt;name&gt;.</summary>
internal static class KubernetesFixture
{
    public const string DeploymentId = "slipway-test00001";

    public static string Root([CallerFilePath] string callerFile = "") => Path.Combine(Path.GetDirectoryName(callerFile)!, "Fixtures");

    public static string GoldenRoot([CallerFilePath] string callerFile = "") => Path.Combine(Path.GetDirectoryName(callerFile)!, "Golden");

    public static IEnumerable<string> Names() =>
        Directory.EnumerateDirectories(Root()).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static string DeploymentDirectory(string name) => $"/deployments/{name}";

    /// <summary>The config hash key of every fixture render: fixed, so the goldens' hashes are stable.</summary>
    public static readonly byte[] ConfigHashKey = Encoding.ASCII.GetBytes("slipway golden fixture hash key!");

    private static byte[] Counting(int n) => Enumerable.Range(0, n).Select(i => (byte)(0x10 + i)).ToArray();

    public static RenderInputs Inputs(string name, string? specText = null, IHostFiles? hostFiles = null)
    {
        var directory = Path.Combine(Root(), name);
        var specPath = Path.Combine(directory, "spec.yml");
        specText ??= File.ReadAllText(specPath);
        var diagnostics = new DiagnosticBag();
        var spec = SpecParser.Parse(specText, specPath, diagnostics);
        diagnostics.ThrowIfErrors();
        var stack = Stack.Load(StackResolver.Resolve(spec.Stack!.Value, spec.Directory, [], new DiskHostFiles()), new DiskHostFiles(), diagnostics);
        var bundle = StackBundle.Load(stack, Path.Combine(directory, "repos"), DeploymentRenderer.ConfigLookup(spec, []), diagnostics);
        var kubeConfig = Path.Combine(directory, "kubeconfig");
        return new RenderInputs
        {
            Spec = spec,
            SpecBytes = Encoding.UTF8.GetBytes(specText),
            Bundle = bundle,
            StackBytes = File.ReadAllBytes(stack.Definition.FilePath),
            DeploymentDirectory = DeploymentDirectory(name),
            Random = Counting,
            DeploymentId = DeploymentId,
            KubeConfig = spec.DeployTo == DeployTarget.K8s && File.Exists(kubeConfig) ? File.ReadAllBytes(kubeConfig) : null,
            HostFiles = hostFiles ?? new DiskHostFiles(),
            ConfigHashKey = ConfigHashKey,
        };
    }

    public static RenderedDeployment Render(string name, string? specText = null) => DeploymentRenderer.Render(Inputs(name, specText));

    /// <summary>Findings with the machine-specific fixture path replaced, for goldens.</summary>
    public static string Describe(IEnumerable<Diagnostic> diagnostics) =>
        string.Concat(diagnostics.Select(d => d.ToString().Replace(Root() + "/", "", StringComparison.Ordinal) + "\n"));

    public static string Text(RenderedDeployment rendered, string path) =>
        Encoding.UTF8.GetString(Assert.Single(rendered.Files, f => f.RelativePath == path).Content);
}
