
namespace Slipway.TestKit.Tests;

public sealed class TempWorkspaceTests
{
    [Fact]
    public void Each_workspace_is_a_fresh_directory_under_the_shared_test_temp_directory()
    {
        using var first = new TempWorkspace();
        using var second = new TempWorkspace();

        Assert.NotEqual(first.Path, second.Path);
        Assert.Equal(Path.Combine(Path.GetTempPath(), "slipway-tests"), Path.GetDirectoryName(first.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(first.Path));
    }

    [Fact]
    public void WriteFile_creates_the_directories_and_ReadFile_reads_it_back()
    {
        using var workspace = new TempWorkspace();

        var path = workspace.WriteFile("a/b/stack.yaml", "name: shop\n");

        Assert.Equal(workspace.Combine("a", "b", "stack.yaml"), path);
        Assert.Equal("name: shop\n", workspace.ReadFile("a/b/stack.yaml"));
    }

    [Fact]
    public void Dispose_deletes_the_directory_and_everything_in_it()
    {
        var workspace = new TempWorkspace();
        workspace.WriteFile("deep/file.txt", "x");

        workspace.Dispose();

        Assert.False(Directory.Exists(workspace.Path));
    }
}
