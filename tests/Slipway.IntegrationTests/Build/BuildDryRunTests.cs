using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Build;

/// <summary>build-containers --dry-run on the real Docker Engine: it names the build it would run and builds, tags and pushes nothing.</summary>
[Collection(SideBySideCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BuildDryRunTests
{
    [Fact]
    public async Task A_dry_run_names_each_build_or_reuse_and_leaves_no_image_and_runs_no_script()
    {
        using var ws = new TempWorkspace();
        ws.WriteFile("dry/stack.yml", "version: \"1.0\"\nname: dry\ncontainers:\n  - slipway-it/dry-file\n  - slipway-it/dry-script\npods: []\n");
        ws.WriteFile("dry/container-build/slipway-it-dry-file/Dockerfile", "FROM scratch\nCOPY busybox /bin/busybox\n");
        File.Copy("/bin/busybox", ws.Combine("dry", "container-build", "slipway-it-dry-file", "busybox"));
        var script = ws.WriteFile("dry/container-build/slipway-it-dry-script/build.sh", $"#!/bin/sh\ntouch {ws.Combine("script-ran")}\nexit 1\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var stack = ws.Combine("dry");
        try
        {
            var dry = await SlipwayCommand.RunAsync("--dry-run", "--stack", stack, "build-containers", "--push", "--image-registry", "127.0.0.1:1/never");
            var reference = Reference(dry.StandardError, "slipway-it/dry-file");
            Assert.Contains($"Dry run: would build slipway-it/dry-file:local as {reference}: docker build --tag {reference} ", dry.StandardError);
            Assert.Contains($"Dry run: would build slipway-it/dry-script:local as slipway-it/dry-script:", dry.StandardError);
            Assert.Contains($"{script}  (in {Path.GetDirectoryName(script)}) with SLIPWAY_IMAGE_TAG=slipway-it/dry-script:", dry.StandardError);
            Assert.Contains($"Dry run: would push {reference} to 127.0.0.1:1/never", dry.StandardError);
            Assert.False(File.Exists(ws.Combine("script-ran")));
            Assert.False((await Docker.RunAsync("image", "inspect", reference)).Succeeded);
            Assert.False((await Docker.RunAsync("image", "inspect", "slipway-it/dry-file:local")).Succeeded);

            // Once built, the dry run says it would reuse the exact tag.
            await SlipwayCommand.RunAsync("--stack", stack, "build-containers", "--include", "slipway-it/dry-file");
            var again = await SlipwayCommand.RunAsync("--dry-run", "--stack", stack, "build-containers", "--include", "slipway-it/dry-file");
            Assert.Contains($"Dry run: {reference} exists; would reuse it and tag it slipway-it/dry-file:local", again.StandardError);
        }
        finally
        {
            var tags = Docker.Lines(await Docker.OutputAsync("image", "ls", "--format", "{{.Repository}}:{{.Tag}}", "slipway-it/dry-file"));
            if (tags.Count > 0) await Docker.RunAsync(["image", "rm", "--force", .. tags]);
        }
    }

    private static string Reference(string stderr, string container)
    {
        var marker = $"would build {container}:local as ";
        var line = stderr.Split('\n').FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal));
        Assert.True(line is not null, $"no '{marker}' line:\n{stderr}");
        return line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Split(':')[0..2] is [var name, var tag] ? $"{name}:{tag}" : "";
    }
}
