// Loads reflect-metadata so that legacy decorators record design:paramtypes for @Validated.
import 'reflect-metadata';
export const loaded = true;
