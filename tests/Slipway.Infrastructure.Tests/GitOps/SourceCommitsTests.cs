using Slipway.Infrastructure.GitOps;

namespace Slipway.Infrastructure.Tests.GitOps;

/// <summary>The commit, branch and dirtiness a revision records, read from one <c>git status --porcelain=v2 --branch</c>.</summary>
public sealed class SourceCommitsTests
{
    [Fact]
    public void A_clean_checkout_on_a_branch_gives_its_commit_and_branch()
    {
        Assert.Equal(("bf471c275ee31edb19acb6bc14c33846343ec839", "main", false),
            SourceCommits.Parse("# branch.oid bf471c275ee31edb19acb6bc14c33846343ec839\n# branch.head main\n"));
    }

    [Fact]
    public void A_changed_or_untracked_file_makes_it_dirty()
    {
        Assert.True(SourceCommits.Parse("# branch.oid abc\n# branch.head main\n1 .M N... 100644 100644 100644 1 1 stack.yml\n").Dirty);
        Assert.True(SourceCommits.Parse("# branch.oid abc\n# branch.head main\n? new.yml\n").Dirty);
    }

    [Fact]
    public void A_detached_head_has_no_branch_and_a_repository_without_commits_no_commit()
    {
        Assert.Equal(("abc", null, false), SourceCommits.Parse("# branch.oid abc\n# branch.head (detached)\n"));
        Assert.Equal((null, "master", false), SourceCommits.Parse("# branch.oid (initial)\n# branch.head master\n"));
    }

    [Fact]
    public void A_failed_git_knows_nothing()
    {
        Assert.Equal((null, null, false), SourceCommits.Parse(null));
    }
}
