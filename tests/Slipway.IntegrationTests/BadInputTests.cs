using Slipway.IntegrationTests.Infrastructure;

namespace Slipway.IntegrationTests;

[Collection(DockerCollection.Name)]
public sealed class BadInputTests
{
    [Fact]
    public async Task Create_with_a_volume_path_escaping_the_deployment_directory_fails_with_exit_3_and_leaves_nothing()
    {
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(Paths.HelloStack, "hello-spec.yml");
        var text = await File.ReadAllTextAsync(spec);
        Assert.Contains("hello-data: \"./data/hello-data\"", text);
        await File.WriteAllTextAsync(spec, text.Replace("hello-data: \"./data/hello-data\"", "hello-data: \"../outside\"", StringComparison.Ordinal));

        var result = await CreateExpectingInvalidInput(ws, spec);
        Assert.Contains("hello-data", result.StandardError);
        Assert.Contains("../outside", result.StandardError);
        Assert.False(Directory.Exists(ws.Combine("outside")), "the escaping volume folder must not be created");
    }

    [Fact]
    public async Task Create_with_an_unknown_spec_key_fails_with_exit_3_naming_the_key_and_leaves_nothing()
    {
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(Paths.HelloStack, "hello-spec.yml");
        await File.AppendAllTextAsync(spec, "voluems:\n  extra: ./data/extra\n");

        var result = await CreateExpectingInvalidInput(ws, spec);
        Assert.Contains("voluems", result.StandardError);
        Assert.Contains("hello-spec.yml:", result.StandardError); // file:line:column
    }

    private static async Task<CliResult> CreateExpectingInvalidInput(Workspace ws, string spec)
    {
        var dir = ws.Combine("d");
        ws.Track(dir);
        var result = await SlipwayCommand.RunAsync(Cli.ExitCodes.InvalidInput, "deploy", "create", "--spec-file", spec, "--deployment-dir", dir);
        Assert.False(Directory.Exists(dir), $"{dir} must not exist after a failed create:\n{result}");
        var leftovers = Directory.GetFileSystemEntries(ws.Path).Select(Path.GetFileName).Where(n => n != "hello-spec.yml").ToList();
        Assert.True(leftovers.Count == 0, "nothing but the spec should be in the workspace, found: " + string.Join(", ", leftovers));
        return result;
    }
}
