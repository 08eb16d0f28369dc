namespace Wallboard.Domain.Calls;

/// <summary>Who ended a call, when the phone system says (§4 <c>call.ended.endedBy</c>).</summary>
public enum CallEndedBy
{
    Caller = 0,
    Agent = 1,
    System = 2,
}
