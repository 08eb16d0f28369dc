namespace Wallboard.Domain.Stores;

/// <summary>Which part of the store a call is for. Boards count <see cref="Sales"/> unless told otherwise.</summary>
public enum Department
{
    Sales = 0,
    Service = 1,
    Parts = 2,
    Other = 3,
}
