namespace Slipway.Infrastructure.Pipeline;

/// <summary>The stage names, as run.json records them; the last three are added only when a run fails and rolls back.</summary>
internal static class StageNames
{
    public const string Prepare = "prepare";
    public const string Build = "build";
    public const string Push = "push";
    public const string Apply = "apply";
    public const string Verify = "verify";
    public const string Record = "record";
    public const string Diagnose = "diagnose";
    public const string RollbackApply = "rollback-apply";
    public const string RollbackVerify = "rollback-verify";
}
