using Slipway.Core.Diagnostics;
using Slipway.Core.Rendering.Compose;
using Slipway.Core.Specs;

namespace Slipway.Core.Tests.Rendering;

public sealed class HostAccessTests
{
    [Theory]
    [InlineData("/", true)]
    [InlineData("/etc", true)]
    [InlineData("/etc/nginx/", true)]
    [InlineData("/usr/local", true)]
    [InlineData("/var/run/docker.sock", true)]
    [InlineData("/var", true)]
    [InlineData("/home", true)]
    [InlineData("/var/lib/app", false)]
    [InlineData("/home/ops/data", false)]
    [InlineData("/srv/db", false)]
    [InlineData("/etcetera", false)]
    public void System_paths_are_the_root_the_system_trees_and_a_few_exact_folders(string path, bool system) =>
        Assert.Equal(system, HostAccess.IsSystemPath(path));

    [Fact]
    public void The_long_form_of_a_spec_volume_reads_its_path_and_the_system_write_mark()
    {
        var diagnostics = new DiagnosticBag();
        var spec = SpecParser.Parse("stack: s\nvolumes:\n  etc:\n    path: /etc\n    allow-system-write: true\n  data: /srv/data\n", "spec.yml", diagnostics);

        Assert.DoesNotContain(diagnostics.Items, d => d.IsError);
        Assert.Equal([("etc", "/etc", true), ("data", "/srv/data", false)], spec.Volumes.Select(v => (v.Name, v.Path, v.AllowSystemWrite)));
    }
}
