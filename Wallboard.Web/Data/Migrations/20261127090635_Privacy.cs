using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Wallboard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Privacy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AnonymizedAt",
                table: "Calls",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AnonymizedAt",
                table: "Callbacks",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Calls_NotAnonymized",
                table: "Calls",
                column: "StartedAt",
                filter: "\"AnonymizedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Calls_NotAnonymized",
                table: "Calls");

            migrationBuilder.DropColumn(
                name: "AnonymizedAt",
                table: "Calls");

            migrationBuilder.DropColumn(
                name: "AnonymizedAt",
                table: "Callbacks");
        }
    }
}
