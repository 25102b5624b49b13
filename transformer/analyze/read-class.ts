import { ts } from 'ts-morph';
import { DIAGNOSTIC_CODES } from '../diagnostics.js';
import type { Report } from './context.js';
import type { FoundDecorator } from './find-decorators.js';
import { skipOuter, staticPropertyName } from './read-options.js';

/**
 * The name JavaScript gives a class: its own, or for an anonymous class expression the name of the
 * variable, property or assignment target it is written into (`const Shop = class { … }`), or
 * `default` for an anonymous default export. Empty when the class has none.
 */
export function jsClassName(cls: ts.ClassLikeDeclaration): string {
  if (cls.name) return cls.name.text;
  if (ts.isClassDeclaration(cls)) return 'default';
  let node: ts.Node = cls;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent)) {
    node = node.parent;
  }
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent)) && parent.initializer === node) {
    return ts.isIdentifier(parent.name) ? parent.name.text : '';
  }
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.initializer === node) {
    return ts.isPrivateIdentifier(parent.name) ? parent.name.text : (staticPropertyName(parent.name) ?? '');
  }
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === node) {
    const left = skipOuter(parent.left);
    return ts.isIdentifier(left) ? left.text : ts.isPropertyAccessExpression(left) ? left.name.text : '';
  }
  if (ts.isExportAssignment(parent)) return 'default';
  return '';
}

/**
 * The name `@Resilient({ name: '…' })` gives a class, if any. A name that is not a string literal
 * is reported (the ids of the class's methods could only be known by running the code) and the
 * class keeps its own name.
 */
export function resilientName(resilient: FoundDecorator, report: Report): string | undefined {
  const arg = resilient.call?.arguments[0];
  if (arg === undefined) return undefined;
  const options = skipOuter(arg);
  let written: ts.Expression | undefined;
  let opaque = !ts.isObjectLiteralExpression(options);
  for (const property of ts.isObjectLiteralExpression(options) ? options.properties : []) {
    if (ts.isPropertyAssignment(property)) {
      const key = staticPropertyName(property.name);
      if (key === 'name') written = property.initializer;
      else if (key === undefined) opaque = true;
    } else if (ts.isShorthandPropertyAssignment(property)) {
      if (property.name.text === 'name') written = property.name;
    } else {
      opaque = true; // A spread may set the name.
    }
  }
  if (written === undefined && !opaque) return undefined;
  const value = written && skipOuter(written);
  if (value && (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value))) return value.text;
  report(
    written ?? arg,
    DIAGNOSTIC_CODES.INVALID_OPTION,
    `@Resilient: name must be a string literal, so that resil gen knows the ids of the class's methods`,
  );
  return undefined;
}
