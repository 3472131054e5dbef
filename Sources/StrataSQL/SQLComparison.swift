public import SQLKit

/// `left op right`: the SQL SQLKit's `SQLBinaryExpression` writes, written straight to the
/// serializer.
///
/// `SQLBinaryExpression` renders through an `SQLStatement`, an array of existential parts grown per
/// comparison; a findOne's two comparisons cost more that way than SQLite spent running it.
public struct SQLComparison: SQLExpression {
    public let left: any SQLExpression
    public let op: SQLBinaryOperator
    public let right: any SQLExpression

    public init(_ left: any SQLExpression, _ op: SQLBinaryOperator, _ right: any SQLExpression) {
        self.left = left
        self.op = op
        self.right = right
    }

    public func serialize(to serializer: inout SQLSerializer) {
        left.serialize(to: &serializer)
        serializer.write(" ")
        op.serialize(to: &serializer)
        serializer.write(" ")
        right.serialize(to: &serializer)
    }
}
