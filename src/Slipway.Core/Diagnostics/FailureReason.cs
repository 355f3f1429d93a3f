namespace Slipway.Core.Diagnostics;

/// <summary>Why a command failed; the CLI maps each reason to one named exit code.</summary>
public enum FailureReason
{
    InvalidInput,
    PrerequisiteMissing,
    DeploymentFailed,
    Locked,
    VerifyTimeout,
    NotFound,
    Conflict,

    /// <summary>The command line names something D does not have (a service): found before anything runs.</summary>
    Usage,

    PermissionDenied,
    NoSpace,
    PathMissing,

    /// <summary>restart's git pull was refused (diverged branch, local changes in the way) or failed: nothing was pulled, D unchanged.</summary>
    SyncRefused,
}
