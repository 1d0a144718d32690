import { Type } from 'typebox';

export const ClassList = Type.Array(
  Type.Object({
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    subject: Type.Union([Type.String(), Type.Null()]),
    pupils: Type.Integer(),
    teacherIds: Type.Array(Type.String({ format: 'uuid' })),
  }),
);
