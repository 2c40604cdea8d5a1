/** Where the generated tickets happen: regions and cities of a Mexican cable operator. */
export interface Place {
  region: string;
  subregion: string;
  branchId: string;
  /** Prefix of the node names, e.g. `GDL` in `GDL-NODO-0042`. */
  code: string;
}

export const PLACES: readonly Place[] = [
  { region: 'Occidente', subregion: 'Guadalajara', branchId: 'GDL-01', code: 'GDL' },
  { region: 'Occidente', subregion: 'Zapopan', branchId: 'GDL-02', code: 'ZAP' },
  { region: 'Noreste', subregion: 'Monterrey', branchId: 'MTY-01', code: 'MTY' },
  { region: 'Noreste', subregion: 'Saltillo', branchId: 'SLW-01', code: 'SLW' },
  { region: 'Centro', subregion: 'Ciudad de México', branchId: 'CDMX-03', code: 'MEX' },
  { region: 'Centro', subregion: 'Toluca', branchId: 'TOL-01', code: 'TOL' },
  { region: 'Bajío', subregion: 'León', branchId: 'LEO-01', code: 'LEO' },
  { region: 'Bajío', subregion: 'Querétaro', branchId: 'QRO-02', code: 'QRO' },
  { region: 'Sureste', subregion: 'Mérida', branchId: 'MID-01', code: 'MID' },
  { region: 'Noroeste', subregion: 'Hermosillo', branchId: 'HMO-01', code: 'HMO' },
  { region: 'Golfo', subregion: 'Veracruz', branchId: 'VER-01', code: 'VER' },
];

export const CAUSES: readonly string[] = [
  'posible ingreso de ruido en la red de retorno',
  'amplificador de línea con ganancia fuera de rango',
  'conector dañado en la acometida troncal',
  'corte de fibra reportado en el anillo metropolitano',
  'falla de energía en la fuente del nodo',
  'humedad en el tap de distribución',
];

export const ACTIONS: readonly string[] = [
  'Enviar cuadrilla a revisar el nodo y medir niveles en campo.',
  'Verificar ecualización del retorno y barrer la planta exterior.',
  'Revisar respaldo de baterías y estado de la fuente.',
  'Coordinar con el NOC la ventana de mantenimiento y notificar a atención a clientes.',
];
