using Slipway.IntegrationTests.Infrastructure;

namespace Slipway.IntegrationTests;

[Collection(SideBySideCollection.Name)]
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

    [Theory]
    [InlineData("./overrides")]
    [InlineData("./overrides/x")]
    [InlineData("./compose")]
    [InlineData("./config")]
    [InlineData("./.slipway")]
    [InlineData("./data/../overrides")]
    [InlineData("./spec.yml")]
    [InlineData("./deployment.yml")]
    public async Task Create_with_a_volume_path_into_the_deployment_directorys_own_files_fails_with_exit_3_naming_the_volume(string path)
    {
        await using var ws = new Workspace();
        var spec = await ws.InitAsync(Paths.HelloStack, "hello-spec.yml");
        var text = await File.ReadAllTextAsync(spec);
        await File.WriteAllTextAsync(spec, text.Replace("hello-data: \"./data/hello-data\"", $"hello-data: \"{path}\"", StringComparison.Ordinal));

        var result = await CreateExpectingInvalidInput(ws, spec);
        Assert.Contains("volume 'hello-data'", result.StandardError);
        Assert.Contains("own files", result.StandardError);
        Assert.Contains("hello-spec.yml:", result.StandardError);
        FileSystemFailureTests.AssertPlainWords(result.StandardError);
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
